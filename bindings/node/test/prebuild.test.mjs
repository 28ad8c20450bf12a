// Which of its libraries the installed package loads. On Linux, a process with glibc
// loads prebuilds/linux-<arch>/, one without (musl: Alpine) prebuilds/linux-<arch>-musl/:
// the choice is made from process.report, which reports glibc's version only under glibc.
// No Node.js for musl comes from a registry this machine reaches, so the musl choice is
// shown by a glibc process that the preloaded fixtures/report-without-glibc.cjs makes
// report no glibc: it takes the musl build, which glibc's loader then refuses by name.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const prebuilds = path.join(path.dirname(require.resolve('enough-cancel')), 'prebuilds');
const carried = fs.readdirSync(prebuilds);
const withoutGlibc = fileURLToPath(new URL('./fixtures/report-without-glibc.cjs', import.meta.url));
const noChildren = process.env.ENOUGH_TEST_NO_CHILDREN; // qemu-user here: says why
const glibc = `linux-${process.arch}`;
const musl = `${glibc}-musl`;

function load(preload) {
  const script = "require('enough-cancel'); process.stdout.write(require('fs').readFileSync('/proc/self/maps', 'utf8'))";
  return spawnSync(process.execPath, [...preload, '-e', script],
    { cwd: process.cwd(), encoding: 'utf8', timeout: 60000 });
}

test('a glibc process loads the glibc build', {
  skip: process.platform !== 'linux' ? 'Linux only' : noChildren,
}, () => {
  const result = load([]);
  assert.equal(result.status, 0, result.stderr);
  assert.ok(result.stdout.includes(`${path.sep}prebuilds${path.sep}${glibc}${path.sep}libenough.so`),
    'the glibc build is mapped');
  assert.ok(!result.stdout.includes(musl));
});

test('a process without glibc (musl) takes the musl build', {
  skip: process.platform !== 'linux' ? 'Linux only'
    : !carried.includes(musl) ? `this package carries no ${musl} build (scripts/package's tarball does)`
      : noChildren,
}, () => {
  const result = load(['--require', withoutGlibc]);
  assert.notEqual(result.status, 0, 'glibc loaded the musl build?');
  assert.match(result.stderr, new RegExp(`prebuilds[\\\\/]${musl}[\\\\/]libenough\\.so`));
});

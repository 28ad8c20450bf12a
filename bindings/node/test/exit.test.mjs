// No Node process waits at exit for a callback: a deadline's callback blocks on the
// library's thread (fixtures/exit-while-a-callback-blocks.cjs) while the process
// leaves by process.exit(7) or by SIGTERM with a handler that exits. Before the
// library's exit handler stopped joining a thread inside a callback, process.exit hung.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const child = fileURLToPath(new URL('./fixtures/exit-while-a-callback-blocks.cjs', import.meta.url));
const noChildren = process.env.ENOUGH_TEST_NO_CHILDREN; // qemu-user here: says why

function leave(how) {
  // 60 s: a hang fails the test, never its speed.
  const result = spawnSync(process.execPath, [child, how], { encoding: 'utf8', timeout: 60000 });
  assert.equal(result.error, undefined, `${how}: ${result.error}`);
  assert.match(result.stdout, /the callback blocks/, result.stderr);
  assert.equal(result.status, 7, `${how}: ${result.stderr}`);
}

test('process.exit while a callback blocks on the library thread', { skip: noChildren }, () => leave('exit'));

test('SIGTERM while a callback blocks on the library thread',
  { skip: noChildren ?? (process.platform === 'win32' ? 'Windows has no SIGTERM to handle' : undefined) },
  () => leave('sigterm'));

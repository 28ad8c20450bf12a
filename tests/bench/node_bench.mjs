// Node figure: token.cancelled (a typed-array read of the state word) against
// AbortSignal.aborted, interleaved, median of rounds. Prints one JSON object.
// Run by scripts/bench from a project that installed the packed enough-cancel.
import { Source } from 'enough-cancel';

const CHECKS = 20_000_000;
const ROUNDS = 7;

function perCheckNs(check) {
  let seen = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < CHECKS; ++i) if (check()) ++seen;
  const ns = Number(process.hrtime.bigint() - start) / CHECKS;
  if (seen !== 0) throw new Error('nothing was cancelled');
  return ns;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const source = new Source();
const token = source.token();
const signal = new AbortController().signal;
const ours = [];
const peer = [];
for (let round = 0; round < ROUNDS; ++round) {
  ours.push(perCheckNs(() => token.cancelled));
  peer.push(perCheckNs(() => signal.aborted));
}
token.dispose();
source.dispose();
console.log(JSON.stringify({ node_cancelled_ns: median(ours), node_aborted_ns: median(peer) }, null, 2));

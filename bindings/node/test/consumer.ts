// A TypeScript consumer of the installed package: type-checked (tsc --noEmit, strict).
import { EnoughError, ErrorCode, Reason, Source, Token, liveObjects } from 'enough-cancel';

function decode(data: Uint8Array, token: Token): number {
  for (let i = 0; i < data.length; ++i) {
    token.throwIfCancelled();
  }
  return data.length;
}

async function main(): Promise<void> {
  using source = new Source();
  using token: Token = source.token();
  const cancelled: boolean = token.cancelled;
  const reason: Reason = token.reason;
  source.cancelAfter(250);
  const signal: AbortSignal = token.toAbortSignal();
  const why: Reason = await token.whenCancelled();
  const linked: Source = Source.linked(token, Token.never());
  linked.dispose();
  try {
    source.cancel(0);
  } catch (error) {
    if (error instanceof EnoughError && error.code === ErrorCode.BAD_ARGUMENT) {
      console.log(error.message);
    }
  }
  console.log(decode(new Uint8Array(4), token), cancelled, reason, why, signal.aborted,
              liveObjects(), Reason.TIMED_OUT);
}

void main();

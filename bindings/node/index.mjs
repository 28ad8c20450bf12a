// ES module entry: the same objects as the CommonJS entry (one copy of the library).
import enough from './index.js';

export const { EnoughError, ErrorCode, Reason, Source, Token, liveObjects, version } = enough;
export default enough;

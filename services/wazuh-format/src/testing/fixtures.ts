import { join } from 'node:path';

/** A decoder file for tests: `sshd` (by program name) with children for failed/accepted logins and invalid users. */
export const SSHD_DECODERS = join(import.meta.dirname, 'sshd-decoders.xml');

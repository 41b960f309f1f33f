import { VigilError } from '@vigil/common';
import { EXIT_RUNTIME_ERROR } from './exit-codes.ts';
import { runCli } from './program.ts';

/** Exits once everything written to stdout and stderr has been handed to the reader (a pipe may be slow). */
function exitAfterFlush(code: number): void {
  process.exitCode = code;
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

const io = {
  print: (line: string) => void process.stdout.write(`${line}\n`),
  printError: (text: string) => void process.stderr.write(text),
};

runCli(process.argv.slice(2), io).then(exitAfterFlush, (err: unknown) => {
  const message = err instanceof VigilError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
  process.stderr.write(`vigil: ${message}\n`);
  exitAfterFlush(EXIT_RUNTIME_ERROR);
});

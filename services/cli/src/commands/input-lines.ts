import { StringDecoder } from 'node:string_decoder';

/** The lines of one chunk of input, and how long the chunk was (a short chunk: the writer is not ahead of us). */
export interface InputChunk {
  lines: string[];
  length: number;
}

/**
 * The lines of a text stream, a chunk's worth at a time (so a consumer pays one await per chunk, not per line, as
 * it does with readline). Lines end at `\n`; a `\r` before it is dropped; a last line without `\n` is given too.
 */
export async function* inputLines(input: NodeJS.ReadableStream): AsyncGenerator<InputChunk> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of input) {
    const length = (chunk as string | Buffer).length;
    const text = rest + (typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer));
    const lines = text.split('\n');
    rest = lines.pop() as string;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as string;
      if (line.endsWith('\r')) lines[i] = line.slice(0, -1);
    }
    if (lines.length > 0) yield { lines, length };
  }
  rest += decoder.end();
  if (rest.endsWith('\r')) rest = rest.slice(0, -1);
  if (rest !== '') yield { lines: [rest], length: rest.length };
}

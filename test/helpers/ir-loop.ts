/**
 * A process that runs one ir command many times in a row through main(), as the CLI does but
 * without a Node start-up per run: `node ir-loop.cjs <count> <arg>…`, where `{i}` in an argument
 * becomes the run's number. Each run opens the state database, writes, and closes it, as its own
 * `ir` process would. Prints one JSON line: how many runs exited 0, and the first failure's stderr.
 * Bundled by the experiments test (esbuild); not a test itself.
 */
import { Writable } from 'node:stream';
import { main } from '../../src/main.js';

function sink(): NodeJS.WritableStream & { text: string } {
  const s = new Writable({
    write(chunk, _enc, cb) {
      s.text += String(chunk);
      cb();
    },
  }) as Writable & { text: string };
  s.text = '';
  return s;
}

async function loop(): Promise<void> {
  const [count, ...args] = process.argv.slice(2);
  let ok = 0;
  let failure: string | undefined;
  for (let i = 0; i < Number(count); i++) {
    const stderr = sink();
    const code = await main({
      argv: args.map((a) => a.replaceAll('{i}', String(i))),
      cwd: process.cwd(),
      env: process.env,
      stdout: sink(),
      stderr,
      stdinIsTTY: false,
    });
    if (code === 0) ok++;
    else failure ??= `exit ${code}: ${stderr.text}`;
  }
  process.stdout.write(`${JSON.stringify({ ok, failure: failure ?? null })}\n`);
}

void loop();

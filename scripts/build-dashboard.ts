/**
 * Builds the web dashboard (services/indexer/dashboard/src: Preact + htm, uPlot) into dashboard/dist with esbuild:
 * app.js, app.css, index.html. The output is committed, so a fresh clone serves it without a build; run this after
 * changing the sources (`npm run build:dashboard`). `scripts/dashboard-build.test.ts` fails when dist is stale.
 *
 *   node --import tsx scripts/build-dashboard.ts [outdir]
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../services/indexer/dashboard/', import.meta.url));

export async function buildDashboard(outdir = join(root, 'dist')): Promise<void> {
  mkdirSync(outdir, { recursive: true });
  const common = { bundle: true, minify: true, legalComments: 'none', logLevel: 'warning', target: 'es2022' } as const;
  await build({ ...common, entryPoints: [join(root, 'src', 'main.js')], outfile: join(outdir, 'app.js'), format: 'esm', loader: { '.json': 'json' } });
  await build({ ...common, entryPoints: [join(root, 'src', 'app.css')], outfile: join(outdir, 'app.css') });
  copyFileSync(join(root, 'src', 'index.html'), join(outdir, 'index.html'));
}

if (import.meta.url === `file://${process.argv[1]}`) await buildDashboard(process.argv[2]);

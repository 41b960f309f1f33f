import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDashboard } from './build-dashboard.ts';

const dist = fileURLToPath(new URL('../services/indexer/dashboard/dist/', import.meta.url));

test('the committed dashboard build is what its sources build to (run npm run build:dashboard after editing them)', async () => {
  const out = mkdtempSync(join(tmpdir(), 'vigil-dashboard-build-'));
  try {
    await buildDashboard(out);
    for (const file of ['app.js', 'app.css', 'index.html']) {
      assert.ok(readFileSync(join(out, file)).equals(readFileSync(join(dist, file))), `${file} is stale: run npm run build:dashboard`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

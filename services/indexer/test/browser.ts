import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export interface TestBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Debian's chromium, headless, driven by playwright-core, with a fresh profile; undefined with the reason printed
 * when it is not installed or cannot start (tests then skip).
 */
export async function launchBrowser(): Promise<TestBrowser | { skip: string }> {
  if (!existsSync(CHROMIUM)) return { skip: `${CHROMIUM} is not installed (apt-get install -y chromium)` };
  const profile = mkdtempSync(join(tmpdir(), 'vigil-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    return {
      context,
      close: async () => {
        await context.close().catch(() => undefined);
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(profile, { recursive: true, force: true });
    return { skip: `chromium cannot start here: ${(err as Error).message.split('\n')[0]}` };
  }
}

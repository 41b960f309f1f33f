import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { VigilError, errorMessage, type InventoryOs, type PackageFormat } from '@vigil/common';
import { parseApkInstalled } from '../core/inventory/apk-installed.ts';
import { parseDpkgStatus } from '../core/inventory/dpkg-status.ts';
import { parseOsRelease } from '../core/inventory/os-release.ts';
import type { PackageList } from '../core/inventory/package-list.ts';
import { parseRpmQuery, RPM_QUERY_FORMAT } from '../core/inventory/rpm-query.ts';

/** A package database found under a root: its format, the file whose changes mean packages changed, and for rpm its directory. */
export interface PackageDatabase {
  format: PackageFormat;
  /** The file watched (its mtime) and named in notices. */
  file: string;
  /** rpm: the --dbpath directory. */
  dbPath?: string;
}

const RPM_DIRS = ['usr/lib/sysimage/rpm', 'var/lib/rpm'];
const RPM_FILES = ['rpmdb.sqlite', 'Packages.db', 'Packages'];

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The package database of the system under `root`: dpkg's, apk's or rpm's (the first found, in that order), or undefined. */
export function findPackageDatabase(root: string): PackageDatabase | undefined {
  const dpkg = join(root, 'var/lib/dpkg/status');
  if (isFile(dpkg)) return { format: 'deb', file: dpkg };
  const apk = join(root, 'lib/apk/db/installed');
  if (isFile(apk)) return { format: 'apk', file: apk };
  for (const dir of RPM_DIRS) {
    for (const name of RPM_FILES) {
      const file = join(root, dir, name);
      if (isFile(file)) return { format: 'rpm', file, dbPath: join(root, dir) };
    }
  }
  return undefined;
}

/** The database file's identity and last change, to tell whether packages may have changed since it was last read. */
export function databaseSignature(db: PackageDatabase): string | undefined {
  try {
    const s = statSync(db.file);
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch {
    return undefined;
  }
}

function unreadable(db: PackageDatabase, reason: string, cause?: unknown): VigilError {
  return new VigilError('PACKAGE_DATABASE_UNREADABLE', `cannot read the ${db.format} package database ${db.file}: ${reason}`, {
    temporary: true,
    details: { file: db.file, format: db.format },
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * The packages installed, read from the database itself (dpkg, apk) or by `rpm -qa --dbpath` (the rpm tool is the
 * only reliable reader of the rpmdb's backends). Throws PACKAGE_DATABASE_UNREADABLE naming the file.
 */
export async function readPackageDatabase(db: PackageDatabase, options: { rpmCommand?: string; timeoutMs?: number } = {}): Promise<PackageList> {
  if (db.format !== 'rpm') {
    let text: string;
    try {
      text = readFileSync(db.file, 'utf8');
    } catch (err) {
      throw unreadable(db, errorMessage(err), err);
    }
    return db.format === 'deb' ? parseDpkgStatus(text) : parseApkInstalled(text);
  }
  const command = options.rpmCommand ?? 'rpm';
  const output = await new Promise<string>((resolve, reject) => {
    execFile(
      command,
      ['-qa', '--dbpath', db.dbPath ?? '', '--queryformat', RPM_QUERY_FORMAT],
      { maxBuffer: 256 * 1024 * 1024, timeout: options.timeoutMs ?? 120_000, env: { ...process.env, LC_ALL: 'C' } },
      (err, stdout, stderr) => {
        const said = String(stderr).trim().split('\n')[0] ?? '';
        if (err) reject(unreadable(db, `${command} -qa failed: ${said || errorMessage(err)}`, err));
        else if (said !== '' && stdout === '') reject(unreadable(db, `${command} -qa: ${said}`));
        else resolve(String(stdout));
      },
    );
  });
  return parseRpmQuery(output);
}

/** The OS of the system under `root`, from its os-release (`etc/os-release`, else `usr/lib/os-release`). */
export function readOsRelease(root: string): Omit<InventoryOs, 'kernel'> {
  for (const rel of ['etc/os-release', 'usr/lib/os-release']) {
    try {
      return parseOsRelease(readFileSync(join(root, rel), 'utf8'));
    } catch {
      // next
    }
  }
  return { id: 'unknown' };
}

import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { type Browser, chromium } from 'playwright-core';

/** What the resolver may look at: injected, so the order is unit-tested without touching the machine. */
export interface ChromiumProbe {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly platform: NodeJS.Platform;
  readonly home: string;
  exists(file: string): boolean;
  /** Entries of a directory, [] when it does not exist. */
  list(dir: string): string[];
}

export type ChromiumSource = 'CHROMIUM_PATH' | 'system' | 'playwright' | '@sparticuz/chromium';

export interface FoundChromium {
  readonly path: string;
  readonly source: ChromiumSource;
}

/** The one line a browser test file fails with when no Chromium can be had. */
export const NO_CHROMIUM =
  'No Chromium found: install chromium (apt-get install chromium / brew install --cask chromium / ' +
  'npx playwright-core install chromium) or set CHROMIUM_PATH to a Chrome or Chromium executable';

function systemPaths(probe: ChromiumProbe): string[] {
  const { env, platform, home } = probe;
  if (platform === 'darwin') {
    return ['Google Chrome.app/Contents/MacOS/Google Chrome', 'Chromium.app/Contents/MacOS/Chromium'].flatMap((app) => [
      path.posix.join('/Applications', app),
      path.posix.join(home, 'Applications', app),
    ]);
  }
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES ?? 'C:\\Program Files', env['PROGRAMFILES(X86)'] ?? 'C:\\Program Files (x86)'];
    if (env.LOCALAPPDATA) roots.push(env.LOCALAPPDATA);
    return roots.flatMap((root) => [
      path.win32.join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'),
      path.win32.join(root, 'Chromium', 'Application', 'chrome.exe'),
    ]);
  }
  return [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/snap/bin/chromium',
  ];
}

/** Where `npx playwright-core install chromium` puts browsers (PLAYWRIGHT_BROWSERS_PATH wins, as in Playwright). */
function playwrightCache(probe: ChromiumProbe): string {
  const { env, platform, home } = probe;
  if (env.PLAYWRIGHT_BROWSERS_PATH && env.PLAYWRIGHT_BROWSERS_PATH !== '0') return env.PLAYWRIGHT_BROWSERS_PATH;
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Caches', 'ms-playwright');
  if (platform === 'win32') {
    return path.win32.join(env.LOCALAPPDATA ?? path.win32.join(home, 'AppData', 'Local'), 'ms-playwright');
  }
  return path.posix.join(env.XDG_CACHE_HOME ?? path.posix.join(home, '.cache'), 'ms-playwright');
}

/** Executables inside one `chromium-<revision>` folder, newest layout (Chrome for Testing) first. */
function playwrightLayouts(platform: NodeJS.Platform): string[][] {
  if (platform === 'darwin') {
    const cft = ['Google Chrome for Testing.app', 'Contents', 'MacOS', 'Google Chrome for Testing'];
    return [
      ['chrome-mac-arm64', ...cft],
      ['chrome-mac-x64', ...cft],
      ['chrome-mac', 'Chromium.app', 'Contents', 'MacOS', 'Chromium'],
    ];
  }
  if (platform === 'win32')
    return [
      ['chrome-win64', 'chrome.exe'],
      ['chrome-win', 'chrome.exe'],
    ];
  return [
    ['chrome-linux64', 'chrome'],
    ['chrome-linux-arm64', 'chrome'],
    ['chrome-linux', 'chrome'],
  ];
}

/**
 * Every place looked at, in order: CHROMIUM_PATH alone when set; else the system's Chrome/Chromium, Playwright's cache
 * (newest revision first), and on Windows Edge.
 */
export function chromiumCandidates(probe: ChromiumProbe): FoundChromium[] {
  const out: FoundChromium[] = [];
  const fromEnv = probe.env.CHROMIUM_PATH;
  if (fromEnv) return [{ path: fromEnv, source: 'CHROMIUM_PATH' }];
  for (const p of systemPaths(probe)) out.push({ path: p, source: 'system' });
  const join = probe.platform === 'win32' ? path.win32.join : path.posix.join;
  const cache = playwrightCache(probe);
  const revision = (dir: string) => Number(dir.slice('chromium-'.length)) || 0;
  const revisions = probe
    .list(cache)
    .filter((d) => /^chromium-\d+$/.test(d))
    .sort((a, b) => revision(b) - revision(a));
  for (const dir of revisions) {
    for (const layout of playwrightLayouts(probe.platform)) {
      out.push({ path: join(cache, dir, ...layout), source: 'playwright' });
    }
  }
  // Windows last resort: Edge is Chromium too, and present on every Windows 10/11.
  if (probe.platform === 'win32') {
    for (const root of [
      probe.env['PROGRAMFILES(X86)'] ?? 'C:\\Program Files (x86)',
      probe.env.PROGRAMFILES ?? 'C:\\Program Files',
    ]) {
      out.push({ path: path.win32.join(root, 'Microsoft', 'Edge', 'Application', 'msedge.exe'), source: 'system' });
    }
  }
  return out;
}

/**
 * The first Chromium that exists among the candidates. A CHROMIUM_PATH that does not exist is an error, not a
 * reason to look elsewhere: the person who set it expects that browser.
 */
export function findChromium(probe: ChromiumProbe): FoundChromium | undefined {
  const fromEnv = probe.env.CHROMIUM_PATH;
  if (fromEnv && !probe.exists(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist`);
  return chromiumCandidates(probe).find((c) => probe.exists(c.path));
}

const machine: ChromiumProbe = {
  env: process.env,
  platform: process.platform,
  home: homedir(),
  exists: existsSync,
  list: (dir) => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  },
};

/**
 * Last resort: the Chromium shipped inside `@sparticuz/chromium` when someone installed it (`npm i -D
 * @sparticuz/chromium`, Linux x64/arm64, Node ≥ 22). Not a dependency of the project: ~60 MB and Node 22+ only.
 */
async function packagedChromium(): Promise<FoundChromium | undefined> {
  const name = '@sparticuz/chromium';
  try {
    const mod = (await import(name)) as { default: { executablePath(): Promise<string> } };
    return { path: await mod.default.executablePath(), source: name };
  } catch {
    return undefined;
  }
}

/** Where the browser tests' Chromium comes from on this machine; throws {@link NO_CHROMIUM} when nowhere. */
export async function resolveChromium(probe: ChromiumProbe = machine): Promise<FoundChromium> {
  let found: FoundChromium | undefined;
  try {
    found = findChromium(probe) ?? (await packagedChromium());
  } catch (e) {
    throw oneLine((e as Error).message);
  }
  if (found) return found;
  throw oneLine(NO_CHROMIUM);
}

/** An error whose report is its message alone: the line says what to do, a stack would only bury it. */
function oneLine(message: string): Error {
  const error = new Error(message);
  error.stack = `Error: ${message}`;
  return error;
}

/**
 * Headless Chromium as the machine allows it: root needs --no-sandbox, and without the background-networking flags
 * Chromium keeps trying hosts this closed network refuses. Playwright never downloads a browser here.
 */
export async function launchChromium(): Promise<Browser> {
  const { path: executablePath } = await resolveChromium();
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

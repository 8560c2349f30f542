import { describe, expect, it } from 'vitest';
import {
  type ChromiumProbe,
  chromiumCandidates,
  findChromium,
  NO_CHROMIUM,
  resolveChromium,
} from '../../helpers/browser.js';

/** A machine where only `files` exist (directories are derived from them). */
function probe(
  platform: NodeJS.Platform,
  files: string[],
  env: Record<string, string> = {},
  home = '/home/u',
): ChromiumProbe {
  const sep = platform === 'win32' ? '\\' : '/';
  return {
    env,
    platform,
    home,
    exists: (f) => files.includes(f),
    list: (dir) => [
      ...new Set(files.filter((f) => f.startsWith(dir + sep)).map((f) => f.slice(dir.length + 1).split(sep)[0]!)),
    ],
  };
}

describe('Chromium resolution for the browser tests', () => {
  it('takes CHROMIUM_PATH first, and refuses one that does not exist instead of looking elsewhere', () => {
    const files = ['/opt/chrome/chrome', '/usr/bin/chromium'];
    expect(findChromium(probe('linux', files, { CHROMIUM_PATH: '/opt/chrome/chrome' }))).toEqual({
      path: '/opt/chrome/chrome',
      source: 'CHROMIUM_PATH',
    });
    expect(() => findChromium(probe('linux', files, { CHROMIUM_PATH: '/nope' }))).toThrow(
      'CHROMIUM_PATH=/nope does not exist',
    );
  });

  it('on Linux: the system browser, then the newest Playwright download', () => {
    const pw = (rev: number, dir = 'chrome-linux64') => `/home/u/.cache/ms-playwright/chromium-${rev}/${dir}/chrome`;
    expect(findChromium(probe('linux', ['/usr/bin/google-chrome', pw(1200)]))?.path).toBe('/usr/bin/google-chrome');
    expect(findChromium(probe('linux', ['/usr/bin/chromium', '/usr/bin/google-chrome']))?.path).toBe(
      '/usr/bin/chromium',
    );
    expect(findChromium(probe('linux', [pw(999), pw(1200), pw(1100, 'chrome-linux')]))).toEqual({
      path: pw(1200),
      source: 'playwright',
    });
    expect(findChromium(probe('linux', [pw(1100, 'chrome-linux')]))?.path).toBe(pw(1100, 'chrome-linux'));
    // XDG_CACHE_HOME and PLAYWRIGHT_BROWSERS_PATH move the cache, as they do for Playwright.
    const xdg = '/x/ms-playwright/chromium-1/chrome-linux64/chrome';
    expect(findChromium(probe('linux', [xdg], { XDG_CACHE_HOME: '/x' }))?.path).toBe(xdg);
    expect(
      findChromium(probe('linux', ['/pw/chromium-7/chrome-linux64/chrome'], { PLAYWRIGHT_BROWSERS_PATH: '/pw' }))?.path,
    ).toBe('/pw/chromium-7/chrome-linux64/chrome');
  });

  it('on macOS: Chrome or Chromium in /Applications, then Playwright’s cache in ~/Library/Caches', () => {
    const chrome = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
    const chromium = '/Users/u/Applications/Chromium.app/Contents/MacOS/Chromium';
    const pw =
      '/Users/u/Library/Caches/ms-playwright/chromium-1200/chrome-mac-arm64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing';
    expect(findChromium(probe('darwin', [chromium, chrome, pw], {}, '/Users/u'))?.path).toBe(chrome);
    expect(findChromium(probe('darwin', [chromium, pw], {}, '/Users/u'))?.path).toBe(chromium);
    expect(findChromium(probe('darwin', [pw], {}, '/Users/u'))?.source).toBe('playwright');
  });

  it('on Windows: Chrome in Program Files or the user’s profile, Playwright’s cache, Edge last', () => {
    const env = { PROGRAMFILES: 'C:\\Program Files', LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' };
    const chrome = 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe';
    const userChrome = 'C:\\Users\\u\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe';
    const edge = 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe';
    const pw = 'C:\\Users\\u\\AppData\\Local\\ms-playwright\\chromium-1200\\chrome-win64\\chrome.exe';
    expect(findChromium(probe('win32', [edge, userChrome, chrome], env, 'C:\\Users\\u'))?.path).toBe(chrome);
    expect(findChromium(probe('win32', [edge, userChrome], env, 'C:\\Users\\u'))?.path).toBe(userChrome);
    expect(findChromium(probe('win32', [edge, pw], env, 'C:\\Users\\u'))).toEqual({ path: pw, source: 'playwright' });
    expect(findChromium(probe('win32', [edge], env, 'C:\\Users\\u'))?.path).toBe(edge);
  });

  it('lists the system paths before the Playwright cache, and only CHROMIUM_PATH when it is set', () => {
    const sources = chromiumCandidates(
      probe('linux', ['/home/u/.cache/ms-playwright/chromium-1/chrome-linux64/chrome']),
    ).map((c) => c.source);
    expect(sources.indexOf('playwright')).toBeGreaterThan(sources.lastIndexOf('system'));
    expect(chromiumCandidates(probe('linux', [], { CHROMIUM_PATH: '/c' }))).toEqual([
      { path: '/c', source: 'CHROMIUM_PATH' },
    ]);
  });

  it('fails with one line saying what to do when no Chromium can be had', async () => {
    // @sparticuz/chromium is not installed here; if someone installs it, it is the answer instead.
    const installed = await import('@sparticuz/chromium' as string).then(
      () => true,
      () => false,
    );
    const nothing = probe('linux', []);
    if (installed) {
      expect((await resolveChromium(nothing)).source).toBe('@sparticuz/chromium');
      return;
    }
    const error = await resolveChromium(nothing).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(NO_CHROMIUM);
    expect((error as Error).stack).toBe(`Error: ${NO_CHROMIUM}`);
    expect(NO_CHROMIUM).not.toContain('\n');
    expect(NO_CHROMIUM).toMatch(/CHROMIUM_PATH/);
  });
});

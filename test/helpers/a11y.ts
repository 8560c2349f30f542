// Accessibility checks for the browser tests (docs/accessibility.md). axe-core runs inside the page with the rules
// of WCAG 2.x levels A and AA plus the RGAA-tagged ones (axe ≥ 4.11 tags its rules with RGAA 4.1 criteria); the
// other helpers check what axe cannot: document language and title, keyboard reachability with a visible focus,
// reflow at 320 CSS px and at 200 % zoom.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

// Evaluated through the DevTools protocol, which the pages' strict CSP (script-src 'self') does not apply to, where
// page.addScriptTag would insert a blocked inline script.
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The gate: every rule of levels A and AA (WCAG 2.0, 2.1, 2.2), and every rule mapped to an RGAA 4.1 criterion. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'RGAAv4'];

export interface AxeFinding {
  rule: string;
  impact: string | null;
  rgaa: string[];
  help: string;
  targets: string[];
}

/** Runs axe on the whole document and returns the violations, each with its RGAA criteria. */
export async function axeViolations(page: Page): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected as a global script.
    const axe = (window as any).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    // biome-ignore lint/suspicious/noExplicitAny: axe's result objects.
    return result.violations.map((v: any) => ({
      rule: v.id,
      impact: v.impact ?? null,
      rgaa: v.tags.filter((t: string) => t.startsWith('RGAA-')),
      help: v.help,
      // biome-ignore lint/suspicious/noExplicitAny: axe's node objects.
      targets: v.nodes.slice(0, 5).map((n: any) => `${n.target.join(' ')} — ${n.failureSummary ?? ''}`.trim()),
    }));
  }, AXE_TAGS);
}

/** The gate: zero axe violations at levels A and AA on the page as it is now. `label` names the state. */
export async function expectNoAxeViolations(page: Page, label: string): Promise<void> {
  const found = await axeViolations(page);
  const text = found
    .map(
      (v) =>
        `- ${v.rule} (${v.impact}; ${v.rgaa.join(', ') || 'no RGAA tag'}): ${v.help}\n    ${v.targets.join('\n    ')}`,
    )
    .join('\n');
  expect(
    found.map((v) => v.rule),
    `axe violations on ${label}:\n${text}`,
  ).toEqual([]);
}

/** RGAA 8.3 / 8.5 / 8.6: `lang` on <html>, and a title that says which page this is. */
export async function expectDocumentBasics(page: Page, title: RegExp | string, lang = 'fr'): Promise<void> {
  expect(await page.getAttribute('html', 'lang')).toBe(lang);
  const actual = await page.title();
  if (typeof title === 'string') expect(actual).toBe(title);
  else expect(actual).toMatch(title);
}

export interface TabStop {
  /** A short description of the focused element: tag#id.class "name". */
  what: string;
  /** Whether a focus indicator is drawn (outline or box-shadow). */
  visible: boolean;
  /** The `data-a11y-wanted` mark set by expectKeyboardReachable, if any. */
  wanted: string | null;
}

/**
 * Presses Tab until the focus has gone round the whole page once (past the browser's own stop on <body>); returns
 * the stops in order. Nothing but the Tab key is used.
 */
export async function tabStops(page: Page, max = 200): Promise<TabStop[]> {
  const stops: TabStop[] = [];
  const seen = new Set<string>();
  let bodies = 0;
  let previous: string | null = null;
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      if (!el.dataset.a11yStop) el.dataset.a11yStop = String(Math.random());
      const cs = getComputedStyle(el);
      const outline = cs.outlineStyle !== 'none' && Number.parseFloat(cs.outlineWidth) > 0;
      const name = (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40);
      const cls =
        typeof el.className === 'string' && el.className.trim() ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
      return {
        marker: el.dataset.a11yStop,
        what: `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${cls} "${name}"`,
        visible: outline || cs.boxShadow !== 'none',
        wanted: el.dataset.a11yWanted ?? null,
      };
    });
    if (!stop) {
      if (++bodies > 2) break; // nothing focusable at all
      continue;
    }
    bodies = 0;
    // Tab inside one control (the day, month and year of a date input) keeps the same active element.
    if (stop.marker === previous) continue;
    previous = stop.marker;
    if (seen.has(stop.marker)) break;
    seen.add(stop.marker);
    stops.push({ what: stop.what, visible: stop.visible, wanted: stop.wanted });
  }
  await page.evaluate(() => {
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('[data-a11y-stop]'))) delete el.dataset.a11yStop;
  });
  return stops;
}

/**
 * Every element matched by each selector can be reached with Tab alone and shows a focus indicator there (RGAA
 * 12.8 / 10.7). Returns all the tab stops of the page for further checks.
 */
export async function expectKeyboardReachable(page: Page, selectors: string[]): Promise<TabStop[]> {
  const unmatched = await page.evaluate((sels) => {
    const none: string[] = [];
    for (const sel of sels) {
      const els = document.querySelectorAll<HTMLElement>(sel);
      if (els.length === 0) none.push(`${sel}: matches nothing`);
      els.forEach((el, i) => {
        el.dataset.a11yWanted = `${sel}[${i}]`;
      });
    }
    return none;
  }, selectors);
  expect(unmatched, 'selectors given to expectKeyboardReachable').toEqual([]);
  const stops = await tabStops(page);
  const all = await page.evaluate(() => {
    const marked = Array.from(document.querySelectorAll<HTMLElement>('[data-a11y-wanted]'));
    const ids = marked.map((el) => el.dataset.a11yWanted ?? '');
    for (const el of marked) delete el.dataset.a11yWanted;
    return ids;
  });
  const reached = new Map(stops.filter((s) => s.wanted).map((s) => [s.wanted!, s.visible]));
  expect(
    all.filter((id) => !reached.has(id)),
    `not reachable with Tab (stops: ${stops.map((s) => s.what).join(' → ')})`,
  ).toEqual([]);
  expect(
    [...reached].filter(([, visible]) => !visible).map(([id]) => id),
    'reached with Tab but no visible focus indicator',
  ).toEqual([]);
  return stops;
}

/** Text cut off by its box, or pushed beyond the right edge of the viewport (unreachable without horizontal scroll). */
async function reflowProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const doc = document.scrollingElement ?? document.documentElement;
    const width = doc.clientWidth;
    if (doc.scrollWidth > width + 1) problems.push(`horizontal scroll: ${doc.scrollWidth} > ${width}`);
    const describe = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${(el.textContent ?? '').trim().slice(0, 30)}"`;
    // Inside a scrollable region (a wide data table, the chat log) content may extend: the region scrolls.
    const inScroller = (el: Element) => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const o = getComputedStyle(p);
        if (/(auto|scroll)/.test(o.overflowX) || /(auto|scroll)/.test(o.overflow)) return true;
      }
      return false;
    };
    for (const el of Array.from(document.body.querySelectorAll<HTMLElement>('*'))) {
      // A box drawn on screen (border or background) whose content is wider than it: a table overflowing its card.
      const cs0 = getComputedStyle(el);
      const drawn = Number.parseFloat(cs0.borderRightWidth) > 0 || cs0.backgroundColor !== 'rgba(0, 0, 0, 0)';
      if (
        drawn &&
        cs0.overflowX === 'visible' &&
        /^(block|flex|grid|flow-root)$/.test(cs0.display) &&
        el.clientWidth > 0 &&
        el.scrollWidth > el.clientWidth + 1 &&
        !inScroller(el)
      )
        problems.push(`content wider than its box: ${describe(el)} (${el.scrollWidth} > ${el.clientWidth})`);
      const hasText = Array.from(el.childNodes).some(
        (n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== '',
      );
      if (!hasText) continue;
      const cs = getComputedStyle(el);
      if (cs.display === 'none' || cs.visibility === 'hidden') continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue; // visually hidden text (sr-only)
      if (box.width <= 1 && box.height <= 1) continue;
      if (/(hidden|clip)/.test(cs.overflowX) && el.scrollWidth > el.clientWidth + 1 && cs.textOverflow !== 'clip')
        problems.push(`clipped: ${describe(el)} (${el.scrollWidth} > ${el.clientWidth})`);
      else if (box.right > width + 1 && !inScroller(el))
        problems.push(`beyond the right edge: ${describe(el)} (right ${Math.round(box.right)} > ${width})`);
    }
    return problems;
  });
}

/**
 * RGAA 10.4 / 10.11 (WCAG 1.4.4, 1.4.10): at 320 CSS px wide (a 1280 px screen at 400 %) and at 200 % zoom of a
 * 1280×800 screen (640×400 CSS px, which is what browser zoom does to the layout), no horizontal scroll bar and no
 * text cut off or off screen. Restores the viewport afterwards.
 */
export async function expectReflow(page: Page, label: string): Promise<void> {
  const original = page.viewportSize();
  try {
    for (const size of [
      { width: 320, height: 640, name: '320 px' },
      { width: 640, height: 400, name: '200 %' },
    ]) {
      await page.setViewportSize({ width: size.width, height: size.height });
      // Layout settles on the next frame.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      expect(await reflowProblems(page), `${label} at ${size.name}`).toEqual([]);
    }
  } finally {
    if (original) await page.setViewportSize(original);
  }
}

/** At the given width (default 1280 px), nothing is wider than its card or the viewport. */
export async function expectNoOverflowAt(page: Page, label: string, width = 1280): Promise<void> {
  const original = page.viewportSize();
  try {
    await page.setViewportSize({ width, height: 800 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    expect(await reflowProblems(page), `${label} at ${width} px`).toEqual([]);
  } finally {
    if (original) await page.setViewportSize(original);
  }
}

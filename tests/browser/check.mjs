// Open each HTML file in Debian's Chromium, run axe-core with the WCAG 2.2 A/AA rules,
// log every request the page makes, report the fonts the body text is drawn with, and take
// screenshots at 1280 and 320 px wide (checking nothing scrolls sideways), and at 200% text size.
//   node check.mjs OUTDIR FILE.html [FILE.html ...]   -> prints one JSON report on stdout
import { readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const [outdir, ...files] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";

const browser = await chromium.launch({
  executablePath,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  // playwright gives every launch a fresh, empty user data directory of its own
});
const results = [];
try {
  for (const file of files) {
    const url = pathToFileURL(resolve(file)).href;
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requests = [];
    page.on("request", (request) => requests.push(request.url()));
    await page.goto(url, { waitUntil: "load" });
    await page.addScriptTag({ content: axeSource });
    const axe = await page.evaluate(async () => {
      const result = await window.axe.run(document, {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"] },
      });
      return { violations: result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) })), passes: result.passes.length };
    });
    // the font the browser really draws the body text with (not what the CSS asks for): a style
    // block escaped by mistake would leave every browser on its default serif
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("DOM.enable");
    await cdp.send("CSS.enable");
    const { root } = await cdp.send("DOM.getDocument");
    const { nodeId } = await cdp.send("DOM.querySelector", { nodeId: root.nodeId, selector: "main p" });
    const { fonts } = nodeId ? await cdp.send("CSS.getPlatformFontsForNode", { nodeId }) : { fonts: [] };
    await cdp.detach();
    const shots = [];
    for (const width of [1280, 320]) {  // 320 CSS px: WCAG 1.4.10 reflow
      await page.setViewportSize({ width, height: 900 });
      const shot = join(outdir, `${basename(resolve(file, ".."))}-${basename(file, ".html")}-${width}.png`);
      await page.screenshot({ path: shot, fullPage: false });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
      shots.push({ width, path: shot, overflow });
    }
    // 200% text size (WCAG 1.4.4): the page's sizes are in rem, so doubling the root's size is what a
    // browser's text-size setting does; nothing may be cut off or scroll sideways at 1280 px
    await page.setViewportSize({ width: 1280, height: 900 });
    const zoomed = await page.evaluate(() => {
      const root = document.documentElement;
      root.style.fontSize = `${parseFloat(getComputedStyle(root).fontSize) * 2}px`;
      const clipped = [];
      for (const el of document.querySelectorAll("body *")) {
        const style = getComputedStyle(el);
        const hides = [style.overflowX, style.overflowY].some((v) => v === "hidden" || v === "clip");
        const text = /^(P|LI|TD|TH|DD|DT|H1|H2|H3|A|STRONG|CAPTION|BLOCKQUOTE)$/.test(el.tagName);
        if ((hides || text) && (el.scrollWidth > el.clientWidth + 1 || (hides && el.scrollHeight > el.clientHeight + 1))) {
          clipped.push(`${el.tagName.toLowerCase()}: ${el.textContent.trim().slice(0, 60)}`);
        }
      }
      return { overflow: root.scrollWidth > window.innerWidth, clipped };
    });
    const zoomShot = join(outdir, `${basename(resolve(file, ".."))}-${basename(file, ".html")}-200pc.png`);
    await page.screenshot({ path: zoomShot, fullPage: false });
    const external = requests.filter((r) => r !== url && !r.startsWith("data:"));
    results.push({ file, violations: axe.violations, passes: axe.passes, requests: external, screenshots: shots,
                   fonts: fonts.map((f) => f.familyName), zoomed: { ...zoomed, path: zoomShot } });
    await page.close();
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(results, null, 2));

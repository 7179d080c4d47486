/**
 * The production server as the browser test sees it: `remix vite:build`, then remix-serve on
 * a free loopback port with a test configuration, the way `npm run build && npm start` runs.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { hostParam, mintSessionToken } from "../app/session-token";
import net from "node:net";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");
const REMIX_CLI = path.join(ROOT, "node_modules/@remix-run/dev/dist/cli.js");
const REMIX_SERVE = path.join(ROOT, "node_modules/@remix-run/serve/dist/cli.js");
const SERVER_BUILD = path.join(ROOT, "build/server/index.js");

/**
 * Builds the app once for all browser test files: vitest runs files in parallel workers, and two
 * builds into the same build/ at once would break each other. A lock directory serialises them;
 * a build newer than every source file is reused.
 */
export async function buildApp(): Promise<void> {
  const lock = path.join(ROOT, ".cache/e2e-build.lock");
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      // A lock left by a killed run is stale after the longest build.
      if (Date.now() - fs.statSync(lock, { throwIfNoEntry: false })!.mtimeMs > 10 * 60_000) fs.rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error("waited 10 minutes for another test's build");
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    if (buildIsCurrent()) return;
    // Asynchronously: a minute-long spawnSync blocks the test worker, whose reports to vitest then time out.
    const build = spawn(process.execPath, [REMIX_CLI, "vite:build"], { cwd: ROOT, stdio: "pipe" });
    let output = "";
    build.stdout.on("data", (chunk: Buffer) => (output += chunk));
    build.stderr.on("data", (chunk: Buffer) => (output += chunk));
    const status = await new Promise<number | null>((resolve, reject) => {
      build.once("error", reject);
      build.once("exit", resolve);
    });
    if (status !== 0) throw new Error(`remix vite:build failed:\n${output}`);
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** The server build is newer than every file it is built from. */
function buildIsCurrent(): boolean {
  const built = fs.statSync(SERVER_BUILD, { throwIfNoEntry: false })?.mtimeMs;
  if (built === undefined) return false;
  const newest = (entry: string): number => {
    const stat = fs.statSync(entry);
    if (!stat.isDirectory()) return stat.mtimeMs;
    return Math.max(stat.mtimeMs, ...fs.readdirSync(entry).map((name) => newest(path.join(entry, name))));
  };
  const sources = ["app", "public", "vite.config.ts", "package.json"].map((p) => path.join(ROOT, p)).filter((p) => fs.existsSync(p));
  return Math.max(...sources.map(newest)) < built;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Runs the built server with exactly `env` (plus PATH) and collects what it prints. */
export function runServer(env: Record<string, string>): { child: ChildProcess; stdout: () => string; stderr: () => string } {
  // Only `env`: nothing from the test runner's own environment leaks into the server.
  // (@remix-run/node declares NODE_ENV required on ProcessEnv; the child gets what `env` says.)
  const serverEnv = { PATH: process.env.PATH ?? "", ...env } as Record<string, string> as NodeJS.ProcessEnv;
  const child = spawn(process.execPath, [REMIX_SERVE, SERVER_BUILD], { cwd: ROOT, env: serverEnv, stdio: "pipe" });
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk));
  child.stderr.on("data", (chunk: Buffer) => (err += chunk));
  return { child, stdout: () => out, stderr: () => err };
}

/** Resolves with the exit code once the process ends; rejects if it is still running after `ms`. */
export function exitCode(child: ChildProcess, ms = 20_000): Promise<number | null> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    const timer = setTimeout(() => reject(new Error(`server still running after ${ms} ms`)), ms);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

export interface RunningServer {
  baseUrl: string;
  stop(): Promise<void>;
  logs(): string;
}

export async function startServer(env: Record<string, string>, port: number): Promise<RunningServer> {
  const server = runServer({ ...env, PORT: String(port), HOST: "127.0.0.1" });
  const deadline = Date.now() + 30_000;
  while (!server.stdout().includes("[remix-serve]")) {
    if (server.child.exitCode !== null) {
      throw new Error(`server exited with ${server.child.exitCode}:\n${server.stderr()}${server.stdout()}`);
    }
    if (Date.now() > deadline) throw new Error(`server did not start:\n${server.stderr()}${server.stdout()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    logs: () => server.stdout() + server.stderr(),
    async stop() {
      if (server.child.exitCode !== null) return;
      server.child.kill("SIGTERM");
      await exitCode(server.child, 10_000).catch(() => server.child.kill("SIGKILL"));
    },
  };
}

/** Debian's Chromium (Playwright's own download does not work here). */
export const CHROMIUM = "/usr/bin/chromium";

/** Headless Chromium as the browser tests run it: nothing in the background talks to the network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

/**
 * A merchant's browser: shopify-app-remix answers bots (isbot matches "HeadlessChrome") with
 * 410 Gone, and a merchant's browser does not say headless.
 */
export const DESKTOP_CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const APP_BRIDGE_STAND_IN = fs.readFileSync(path.join(import.meta.dirname, "app-bridge-stand-in.js"), "utf8");

/**
 * A page as the admin's iframe is: App Bridge is the local stand-in and nothing else leaves the
 * machine. Reduced motion: polaris-viz then draws its marks at their final size at once, so what
 * a test reads and a screenshot shows are the final charts. An uncaught script error is printed
 * with its page (a failing test then says why).
 */
/** React's messages for a hydration mismatch: the development build's words, the production build's error numbers. */
export const HYDRATION_WARNING = /did not match|hydrat|#418|#423|#425/i;

/** `timezoneId`: the merchant's computer's time zone (the server renders in UTC). */
export async function newAdminFramePage(browser: Browser, width = 1280, timezoneId?: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 900 }, userAgent: DESKTOP_CHROME, reducedMotion: "reduce", timezoneId });
  page.on("pageerror", (error) => console.error(`[${page.url()}] page error: ${error.message}`));
  await page.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
  await page.route("https://cdn.shopify.com/shopifycloud/app-bridge.js", (route) => route.fulfill({ status: 200, contentType: "application/javascript", body: APP_BRIDGE_STAND_IN }));
  return page;
}

/** What the admin adds to an embedded app's URL: the shop, its host and a fresh session token. */
export function embeddedQuery(shop: string, locale: string): string {
  return new URLSearchParams({ embedded: "1", shop, host: hostParam(shop), id_token: mintSessionToken({ shop, expiresIn: 600 }), locale }).toString();
}

/**
 * An embedded launch of `pathname` as the admin makes it; answers 200 (else the server's last
 * log lines say why) and is hydrated, so a submit is Remix's, not a plain document POST.
 */
export async function openEmbeddedPage(
  browser: Browser,
  server: Pick<RunningServer, "baseUrl" | "logs">,
  pathname: string,
  options: {
    shop: string;
    locale: string;
    search?: string;
    width?: number;
    timezoneId?: string;
    /** Collects React's words for a page the browser drew differently from the server, from before the first load. */
    hydrationWarnings?: string[];
  },
): Promise<Page> {
  const page = await newAdminFramePage(browser, options.width, options.timezoneId);
  const warnings = options.hydrationWarnings;
  if (warnings) page.on("console", (message) => (HYDRATION_WARNING.test(message.text()) ? warnings.push(message.text()) : undefined));
  const response = await page.goto(`${server.baseUrl}${pathname}?${embeddedQuery(options.shop, options.locale)}${options.search ?? ""}`);
  // A thrown error, not vitest's expect: the benches (bench/web-vitals.bench.ts) run this harness outside vitest.
  if (response?.status() !== 200) throw new Error(`${pathname} answered ${response?.status()}:\n${server.logs().slice(-2000)}`);
  await page.waitForFunction(() => (window as unknown as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter?.state.initialized === true);
  return page;
}

/**
 * The chart labels under `selector` (svg text) a merchant cannot read whole: cut short by
 * polaris-viz ("28. dec. 20…"), or drawn partly outside the first box around the chart that clips
 * its overflow (a card cut the value axis' last label "280 t US$" to "280 t U").
 */
export function cutChartLabels(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).evaluateAll((texts) =>
    texts.flatMap((text) => {
      const label = text.textContent ?? "";
      const box = text.getBoundingClientRect();
      if (box.width === 0) return [];
      let clip = text.closest("svg")?.parentElement ?? null;
      while (clip && getComputedStyle(clip).overflowX === "visible") clip = clip.parentElement;
      const edges = clip ? clip.getBoundingClientRect() : { left: 0, right: window.innerWidth };
      const outside = box.left < edges.left - 0.5 || box.right > edges.right + 0.5;
      return label.includes("…") || outside ? [`${label} (${Math.round(box.left - edges.left)}–${Math.round(box.right - edges.left)} px of ${Math.round(edges.right - edges.left)})`] : [];
    }),
  );
}

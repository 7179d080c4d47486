import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const CLI = fileURLToPath(new URL("./cli.ts", import.meta.url));
const TSX = fileURLToPath(new URL("../../node_modules/.bin/tsx", import.meta.url));

function run(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(TSX, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

describe("npm run sim (cli.ts)", () => {
  it("refuses to start with NODE_ENV=production, with one line on stderr and exit code 1", async () => {
    const proc = run(["--port", "0"], { NODE_ENV: "production" });
    expect(await proc.exited).toBe(1);
    expect(proc.err().trim().split("\n")).toEqual(["shopify-sim: refuses to start with NODE_ENV=production: it is a development/test tool that fakes Shopify."]);
  });

  it("starts on an ephemeral port, prints URLs and tokens, and serves the shops it printed", async () => {
    const proc = run(["--port", "0", "--orders", "500", "--shops", "one,two", "--plus", "two"], { NODE_ENV: "test" });
    try {
      await expect.poll(() => proc.out(), { timeout: 20_000 }).toMatch(/two\.myshopify\.com[\s\S]*token endpoint/);
      const url = /ready at (http:\/\/127\.0\.0\.1:\d+)/.exec(proc.out())![1];
      const token = /one\.myshopify\.com[\s\S]*?access token:\s+(\S+)/.exec(proc.out())![1];
      const graphqlUrl = /GraphQL:\s+POST (\S+one\.myshopify\.com\S+)/.exec(proc.out())![1];
      expect(graphqlUrl).toBe(`${url}/one.myshopify.com/admin/api/2026-10/graphql.json`);
      const response = await fetch(graphqlUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token },
        body: JSON.stringify({ query: "{ shop { myshopifyDomain plan { shopifyPlus } } }" }),
      });
      expect(await response.json()).toMatchObject({ data: { shop: { myshopifyDomain: "one.myshopify.com", plan: { shopifyPlus: false } } } });
      const info = (await (await fetch(`${url}/_sim/info`)).json()) as any;
      expect(info.shops.map((s: any) => [s.name, s.plan])).toEqual([["one", "standard"], ["two", "plus"]]);
      // An injected outage: that shop's Admin API answers the 5xx for as long as asked, the other shop is unaffected.
      const outage = await fetch(`${url}/_sim/admin-outage`, { method: "POST", body: JSON.stringify({ shop: "one.myshopify.com", seconds: 2, status: 502 }) });
      expect(outage.status).toBe(200);
      const ask = (shop: string, accessToken: string) =>
        fetch(`${url}/${shop}/admin/api/2026-10/graphql.json`, {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": accessToken },
          body: JSON.stringify({ query: "{ shop { name } }" }),
        });
      expect((await ask("one.myshopify.com", token)).status).toBe(502);
      expect((await ask("two.myshopify.com", info.shops[1].accessToken)).status).toBe(200);
      await expect.poll(async () => (await ask("one.myshopify.com", token)).status, { timeout: 5_000, interval: 250 }).toBe(200);
      expect((await fetch(`${url}/_sim/admin-outage`, { method: "POST", body: JSON.stringify({ shop: "one.myshopify.com", seconds: 1, status: 404 }) })).status).toBe(400);
    } finally {
      proc.child.kill("SIGTERM");
      await proc.exited;
    }
  });

  it("rejects unknown flags and bad values with a clear message", async () => {
    const bad = run(["--orders", "many"], { NODE_ENV: "test" });
    expect(await bad.exited).toBe(1);
    expect(bad.err()).toContain("--orders must be a valid number, got \"many\"");
    const badDay = run(["--history-end", "2026-02-30"], { NODE_ENV: "test" });
    expect(await badDay.exited).toBe(1);
    expect(badDay.err()).toContain('--history-end must be a date YYYY-MM-DD, got "2026-02-30"');
  });

  it("generates history through the day --history-end names", async () => {
    const proc = run(["--port", "0", "--orders", "300", "--shops", "dated", "--history-end", "2026-12-02"], { NODE_ENV: "test" });
    try {
      await expect.poll(() => proc.out(), { timeout: 20_000 }).toMatch(/token endpoint/);
      expect(proc.out()).toMatch(/dated\.myshopify\.com \(standard\): \d+ customers, \d+ orders, history through 2026-12-02/);
    } finally {
      proc.child.kill("SIGTERM");
      await proc.exited;
    }
  });
});

import { it } from "vitest";
import { startHarness } from "./simulator-harness";
it("debug", async () => {
  const h = await startHarness("sqlite", [{ name: "crash", targetOrders: 300 }]);
  const shop = await h.installShop("crash");
  const engine = h.engine({ onError: (e) => console.log("ERR", e) });
  await engine.ensureBackfill(shop);
  await engine.start();
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 250));
    console.log(JSON.stringify(await engine.getSyncProgress(shop)), JSON.stringify(await h.app.db.prisma.job.findMany()));
  }
  await h.close();
}, 60000);

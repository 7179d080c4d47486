import { describe, expect, it } from "vitest";
import { groupCommit } from "./group-commit";

/** A write whose completion the test controls, recording the batches it was given. */
function controlledWrite() {
  const batches: number[][] = [];
  const pending: { items: number[]; finish: (error?: Error) => void }[] = [];
  const write = (items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      batches.push(items);
      pending.push({ items, finish: (error) => (error ? reject(error) : resolve(items.map((n) => `wrote ${n}`))) });
    });
  return { write, batches, pending };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe("groupCommit", () => {
  it("writes an item at once when a write slot is free", async () => {
    const { write, batches, pending } = controlledWrite();
    const submit = groupCommit(write, { maxInFlight: 2, maxBatch: 10 });
    const a = submit(1);
    const b = submit(2);
    expect(batches).toEqual([[1], [2]]);
    pending[0].finish();
    pending[1].finish();
    expect(await Promise.all([a, b])).toEqual(["wrote 1", "wrote 2"]);
  });

  it("batches the items that arrive while every slot is busy, and answers each with its own result", async () => {
    const { write, batches, pending } = controlledWrite();
    const submit = groupCommit(write, { maxInFlight: 1, maxBatch: 10 });
    const results = [1, 2, 3, 4].map((n) => submit(n));
    expect(batches).toEqual([[1]]);
    pending[0].finish();
    await settle();
    expect(batches).toEqual([[1], [2, 3, 4]]);
    pending[1].finish();
    expect(await Promise.all(results)).toEqual(["wrote 1", "wrote 2", "wrote 3", "wrote 4"]);
  });

  it("does not answer before the write holding the item has finished", async () => {
    const { write, pending } = controlledWrite();
    const submit = groupCommit(write, { maxInFlight: 1, maxBatch: 10 });
    let answered = false;
    void submit(1).then(() => (answered = true));
    await settle();
    expect(answered).toBe(false);
    pending[0].finish();
    await settle();
    expect(answered).toBe(true);
  });

  it("caps a batch at maxBatch items", async () => {
    const { write, batches, pending } = controlledWrite();
    const submit = groupCommit(write, { maxInFlight: 1, maxBatch: 2 });
    const results = [1, 2, 3, 4, 5].map((n) => submit(n));
    for (let i = 0; i < 3; i++) {
      pending[i].finish();
      await settle();
    }
    expect(batches).toEqual([[1], [2, 3], [4, 5]]);
    expect(await Promise.all(results)).toHaveLength(5);
  });

  it("fails every item of a failed write, and keeps serving later items", async () => {
    const { write, pending } = controlledWrite();
    const submit = groupCommit(write, { maxInFlight: 1, maxBatch: 10 });
    const first = submit(1);
    const second = submit(2);
    const third = submit(3);
    pending[0].finish();
    await settle();
    pending[1].finish(new Error("connection lost"));
    await expect(first).resolves.toBe("wrote 1");
    await expect(second).rejects.toThrow("connection lost");
    await expect(third).rejects.toThrow("connection lost");
    const fourth = submit(4);
    pending[2].finish();
    await expect(fourth).resolves.toBe("wrote 4");
  });
});

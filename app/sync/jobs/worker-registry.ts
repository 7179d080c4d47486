/**
 * Every running worker and timer registers here, so tests can assert that nothing is left
 * running after them (STYLE.md: a global afterEach fails a test that leaks a worker/interval).
 */
const active = new Set<string>();

export function registerActive(name: string): () => void {
  const id = `${name}#${Math.random().toString(36).slice(2, 8)}`;
  active.add(id);
  return () => {
    active.delete(id);
  };
}

export function activeWorkers(): string[] {
  return [...active];
}

// Bounded waits. Every "wait for this, but not forever" in the kernel goes through here, so the
// timer is always cleared when the promise wins, and never keeps the process alive on its own.

/** `p`'s value, or `undefined` once `ms` have passed. A rejection of `p` still rejects. */
export function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
    timer.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** `p`'s value, or a rejection with `onTimeout()` once `ms` have passed. */
export function orFail<T>(p: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
    timer.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

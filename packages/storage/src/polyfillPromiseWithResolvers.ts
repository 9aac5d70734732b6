// Node 20 lacks Promise.withResolvers, which Helia's dependencies call; the bin imports this
// module before any other. Harmless on Node 22 and later, which have it.
const promise = Promise as PromiseConstructor & { withResolvers?: () => unknown };

if (!promise.withResolvers) {
  promise.withResolvers = function withResolvers() {
    let resolve: (value: unknown) => void = () => {};
    let reject: (reason?: unknown) => void = () => {};
    const settled = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise: settled, resolve, reject };
  };
}

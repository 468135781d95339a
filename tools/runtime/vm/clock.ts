// Test hook, not jsPolicy behaviour: RunOptions.now replaces the clock seen by Date.now(), new Date()
// and Date() inside the run. Everything else about Date is V8's own (the Proxy forwards it).

/** Source of a function, evaluated inside the context, that takes the host clock and installs it. */
export const INSTALL_CLOCK = `((now) => {
  const RealDate = Date;
  const current = () => now();
  RealDate.now = { now: () => current() }.now;
  const VirtualDate = new Proxy(RealDate, {
    construct: (target, args, newTarget) => Reflect.construct(target, args.length === 0 ? [current()] : args, newTarget),
    apply: () => new RealDate(current()).toString(),
  });
  RealDate.prototype.constructor = VirtualDate;
  globalThis.Date = VirtualDate;
})`;

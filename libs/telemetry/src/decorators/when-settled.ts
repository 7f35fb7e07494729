import { isObservable, Observable } from 'rxjs';

/** Called once when the work behind a method call ends; `error` is set when it failed. */
export type SettledCallback = (error?: unknown) => void;

/**
 * Calls `work` and reports, exactly once, when the work it started ends:
 * - a plain value: at once;
 * - a promise or any thenable (`async` or not): when it settles;
 * - an RxJS Observable: when a subscription completes, errors or is unsubscribed (the first one, for
 *   an Observable subscribed several times). An Observable never subscribed never ends.
 * Thrown errors and rejections are reported, then passed on unchanged. `runInContext` lets a caller
 * run each subscription inside its own context (the span's, for tracing).
 */
export function whenSettled<T>(
  work: () => T,
  onSettled: SettledCallback,
  runInContext: <R>(fn: () => R) => R = (fn) => fn(),
): T {
  let result: T;
  try {
    result = work();
  } catch (error) {
    onSettled(error);
    throw error;
  }
  if (isObservable(result)) return settleObservable(result, once(onSettled), runInContext) as T;
  if (isThenable(result)) {
    return result.then(
      (value) => {
        onSettled();
        return value;
      },
      (error: unknown) => {
        onSettled(error);
        throw error;
      },
    ) as T;
  }
  onSettled();
  return result;
}

function settleObservable<V>(
  source: Observable<V>,
  onSettled: SettledCallback,
  runInContext: <R>(fn: () => R) => R,
): Observable<V> {
  return new Observable<V>((subscriber) => {
    const subscription = runInContext(() =>
      source.subscribe({
        next: (value) => subscriber.next(value),
        error: (error: unknown) => {
          onSettled(error);
          subscriber.error(error);
        },
        complete: () => {
          onSettled();
          subscriber.complete();
        },
      }),
    );
    return () => {
      subscription.unsubscribe();
      onSettled();
    };
  });
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}

function once(callback: SettledCallback): SettledCallback {
  let called = false;
  return (error) => {
    if (called) return;
    called = true;
    callback(error);
  };
}

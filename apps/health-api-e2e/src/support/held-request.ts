import { request, type ClientRequest } from 'node:http';

/**
 * A request the app has received but cannot answer yet: a JSON body announced with
 * `Expect: 100-continue` and sent only when `finish()` is called. The app's `100 Continue` proves it
 * holds the request (Nest's body parser then waits for the body), so a signal sent after `received`
 * resolves arrives while the request is in flight — without a test-only slow route in the app.
 *
 * `GET` by default, whose body express's parser waits for. Fastify never reads the body of a `GET` (it
 * answers at once): there, a `POST` is held instead, which it answers (404 on a GET-only route) only once
 * the body is in.
 */
export class HeldRequest {
  /** Resolves when the app has taken the request (its `100 Continue`). */
  readonly received: Promise<void>;
  /** Resolves to the status of the answer once the body is sent; rejects if the connection is lost. */
  readonly status: Promise<number>;
  /** Whether an answer arrived, for asserting that none did before `finish()`. */
  answered = false;
  private readonly request: ClientRequest;
  private static readonly BODY = JSON.stringify({ held: true });

  constructor(url: string, method: 'GET' | 'POST' = 'GET') {
    this.request = request(url, {
      method,
      headers: {
        'content-type': 'application/json',
        'content-length': HeldRequest.BODY.length,
        expect: '100-continue',
      },
    });
    this.received = new Promise((resolve) => this.request.once('continue', resolve));
    this.status = new Promise((resolve, reject) => {
      this.request.once('response', (response) => {
        this.answered = true;
        response.resume();
        response.once('end', () => resolve(response.statusCode ?? 0));
      });
      this.request.once('error', reject);
    });
    this.request.flushHeaders();
  }

  /** Sends the body: the app can now answer. */
  finish(): Promise<number> {
    this.request.end(HeldRequest.BODY);
    return this.status;
  }
}

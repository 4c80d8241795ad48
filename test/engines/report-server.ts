import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// The test's own HTTP endpoint on loopback: it serves the top page that frames each scenario's page
// (one browser launch runs them all) and collects what the pages report (POST, text/plain JSON, so
// no preflight). A browser nobody drives still tells the test what it saw.

export type Report = Record<string, unknown>;

interface Waiter {
  key: string;
  predicate: (report: Report) => boolean;
  resolve: (report: Report) => void;
}

export class ReportServer {
  readonly #server: Server;
  readonly #reports = new Map<string, Report[]>();
  readonly #waiters = new Set<Waiter>();
  readonly #tops = new Map<string, string[]>();
  port = 0;

  constructor() {
    this.#server = createServer((request, response) => {
      response.setHeader('Access-Control-Allow-Origin', '*');
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const parts = url.pathname.split('/').filter(Boolean);
      if (request.method === 'GET' && parts[0] === 'top' && parts[1] && this.#tops.has(parts[1])) {
        const frames = this.#tops.get(parts[1])!;
        response.setHeader('Content-Type', 'text/html; charset=utf-8');
        response.end(
          `<!doctype html><html><head><meta charset="utf-8"><title>engines</title></head><body>${frames
            .map((src) => `<iframe src="${src}" width="600" height="200"></iframe>`)
            .join('\n')}</body></html>`,
        );
        return;
      }
      if (request.method === 'POST' && parts[0] === 'report' && parts[1] && parts[2]) {
        let body = '';
        request.setEncoding('utf8');
        request.on('data', (chunk: string) => (body += chunk));
        request.on('end', () => {
          let report: Report;
          try {
            report = JSON.parse(body) as Report;
          } catch {
            report = { unparsable: body };
          }
          this.#add(`${parts[1]}/${parts[2]}`, report);
          response.statusCode = 204;
          response.end();
        });
        return;
      }
      response.statusCode = 404;
      response.end();
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.port = (this.#server.address() as AddressInfo).port;
  }

  /** The URL a browser opens for run `run`: a page framing `frames`. */
  top(run: string, frames: string[]): string {
    this.#tops.set(run, frames);
    return `http://127.0.0.1:${this.port}/top/${run}`;
  }

  /** Where a page of run `run` posts its reports for `scenario`. */
  reportUrl(run: string, scenario: string): string {
    return `http://127.0.0.1:${this.port}/report/${run}/${scenario}`;
  }

  reports(run: string, scenario: string): Report[] {
    return this.#reports.get(`${run}/${scenario}`) ?? [];
  }

  /**
   * The first report of `scenario` that satisfies `predicate`. A page that reports an `error` (its
   * `error` or `unhandledrejection` handler) ends the wait with that error. `timeoutMs` only
   * bounds how long a broken engine can hold the run; it is never what a test asserts.
   */
  next(run: string, scenario: string, predicate: (report: Report) => boolean, timeoutMs: number, describe: () => string): Promise<Report> {
    const key = `${run}/${scenario}`;
    return new Promise((resolve, reject) => {
      const check = (report: Report): boolean => {
        if (typeof report.error === 'string') {
          reject(new Error(`${key}: the page reported an error: ${report.error}\n${describe()}`));
          return true;
        }
        return predicate(report);
      };
      const seen = this.reports(run, scenario).find(check);
      if (seen) return resolve(seen);
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`${key}: no such report within ${timeoutMs} ms; reports: ${JSON.stringify(this.reports(run, scenario))}\n${describe()}`));
      }, timeoutMs);
      const waiter: Waiter = {
        key,
        predicate: check,
        resolve: (report) => {
          clearTimeout(timer);
          resolve(report);
        },
      };
      this.#waiters.add(waiter);
    });
  }

  #add(key: string, report: Report): void {
    this.#reports.set(key, [...(this.#reports.get(key) ?? []), report]);
    for (const waiter of [...this.#waiters]) {
      if (waiter.key === key && waiter.predicate(report)) {
        this.#waiters.delete(waiter);
        waiter.resolve(report);
      }
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.closeAllConnections();
      this.#server.close(() => resolve());
    });
  }
}

import type { Connect } from 'vite';
import { HttpFailure } from '../host/http/failure.js';
import { respondText } from '../host/http/guard.js';
import { ProjectImages } from '../host/http/project-images.js';

/**
 * A Vite middleware serving HISE's `{PROJECT_FOLDER}name.png` references from `folder` (as the
 * host does with `setProjectImagesFolder`), so pages Vite serves find the project's images too.
 * A folder that cannot be served is reported once through `onError`; then the middleware passes on.
 */
export function projectImagesMiddleware(folder: string, onError: (message: string) => void): Connect.NextHandleFunction {
  const images = new ProjectImages(() => false);
  const ready = images.setFolder(folder).then(
    () => true,
    (error: Error) => {
      onError(`cannot serve project images from ${folder}: ${error.message}`);
      return false;
    },
  );
  return (request, response, next) => {
    const method = request.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') return next();
    ready
      .then(async (ok) => {
        const path = new URL(request.url ?? '/', 'http://vite').pathname;
        if (!ok || !(await images.serve(request, response, path))) next();
      })
      // A Range outside the image is the client's error (416, as the host answers), not Vite's 500.
      .catch((error: unknown) => {
        if (!(error instanceof HttpFailure) || error.status === 500 || response.headersSent) return next(error);
        for (const [name, value] of Object.entries(error.headers)) response.setHeader(name, value);
        respondText(response, error.status, error.message);
      });
  };
}

/** The inspector page's script, built by scripts/build.mjs from src/inspector/page/; served from dist/ like the host's client scripts. */
export const PAGE_SCRIPT = 'inspector-page.js';

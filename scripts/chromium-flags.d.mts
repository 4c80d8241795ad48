// Types of chromium-flags.mjs, for the TypeScript tests that import it.
export declare const CHROMIUM_PATH: string;
export declare const CHROMIUM_FLAGS: readonly string[];
export declare const PLAIN_PROCESS_FLAGS: readonly string[];
export declare const NO_BACKGROUND_THROTTLING_FLAGS: readonly string[];
export declare const WITHOUT_LOCAL_NETWORK_ACCESS_CHECKS: readonly string[];

// Types of gen-docs.mjs, for the tests that import it.
export declare function optionsDoc(root?: string): string;
export declare function errorsDoc(root?: string): string;
export declare function layoutDoc(root?: string): string;
export declare function firstDocLine(text: string, path?: string): string;
export declare function generateDocs(root?: string): Record<string, string>;
export declare function staleDocs(root?: string): string[];
export declare const ERROR_CLASSES: readonly { className: string; codes: string; path: string; entry: string }[];

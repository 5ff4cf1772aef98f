/** The part of Eleventy's programmatic API Almanac uses (Eleventy 3 ships no type declarations). */
declare module '@11ty/eleventy' {
  export default class Eleventy {
    constructor(
      input: string,
      output: string,
      options?: {
        configPath?: string;
        quietMode?: boolean;
        runMode?: 'build' | 'watch' | 'serve';
        config?: (eleventyConfig: any) => void;
      },
    );
    init(): Promise<void>;
    write(): Promise<unknown>;
    watch(): Promise<void>;
    serve(port?: number): Promise<void>;
    stopWatch?(): Promise<void>;
    setIgnoreInitial(ignore: boolean): void;
    setIncrementalBuild(incremental: boolean): void;
    setIncrementalFile(file: string): void;
    disableLogger(): void;
  }
}

/** Eleventy plugins, which ship no type declarations: each is a function Eleventy's addPlugin calls. */
declare module '@11ty/eleventy-plugin-rss' {
  const plugin: (eleventyConfig: any, options?: Record<string, unknown>) => void;
  export default plugin;
}
declare module '@11ty/eleventy-navigation' {
  const plugin: (eleventyConfig: any, options?: Record<string, unknown>) => void;
  export default plugin;
}

import type { RedirectWriter } from './writer.ts';
import apache from './apache.ts';
import caddy from './caddy.ts';
import cloudflare from './cloudflare.ts';
import csv from './csv.ts';
import html from './html.ts';
import htaccess from './htaccess.ts';
import json from './json.ts';
import netlify from './netlify.ts';
import nginx from './nginx.ts';
import vercel from './vercel.ts';

/** Every redirect syntax Almanac writes, by `--format` name. */
export const writers: Record<string, RedirectWriter> = {
  nginx,
  apache,
  htaccess,
  netlify,
  cloudflare,
  vercel,
  caddy,
  html,
  json,
  csv,
};

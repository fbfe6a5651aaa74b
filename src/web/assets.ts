// Static assets, read once at boot and served under a content hash with a year-long cache.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const css = fs.readFileSync(path.join(here, 'styles.css'), 'utf8');
const cssHash = crypto.createHash('sha256').update(css).digest('hex').slice(0, 12);

export const assets = {
  css,
  cssPath: `/assets/app.${cssHash}.css`,
};

import { readdirSync, readFileSync } from 'node:fs';
import express, { Router } from 'express';
import { REPO_ROOT } from '../infra/config.ts';
import type { ApiOptions } from './config.ts';
import { openApiDocument } from './openapi.ts';

const WEB_DIR = `${REPO_ROOT}web`;
const EXAMPLES_DIR = `${REPO_ROOT}examples`;
const VERSION = (JSON.parse(readFileSync(`${REPO_ROOT}package.json`, 'utf8')) as { version: string }).version;

/** The example requests a planner may pick on the submit page (the top-level JSON files of examples/). */
function exampleFiles(): string[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
}

/**
 * What needs no login: the OpenAPI document, the web page's files (plain ES modules, no build) and
 * the examples it offers. The page calls /api with the planner's token like any client.
 */
export function publicRouter(options: ApiOptions): Router {
  const router = Router();
  const document = openApiDocument(VERSION);
  router.get('/api/openapi.json', (_req, res) => {
    res.json(document);
  });
  router.get('/web-config.json', (_req, res) => {
    res.json({ auth: options.auth.mode, temporalUi: options.temporalUi ?? null, version: VERSION });
  });
  const examples = exampleFiles();
  router.get('/examples/index.json', (_req, res) => {
    res.json({ examples });
  });
  router.get('/examples/:file', (req, res, next) => {
    if (!examples.includes(req.params.file)) {
      next();
      return;
    }
    res.sendFile(req.params.file, { root: EXAMPLES_DIR });
  });
  router.use(express.static(WEB_DIR, { index: 'index.html', redirect: true, fallthrough: true }));
  return router;
}

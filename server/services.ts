import { openStorage } from './storage/database';
import { RenderPool, type RenderPoolOptions } from './render/pool';
import type { Services } from './domain/context';

/** Everything the domain needs, opened in order: the database (migrated), then the render workers. */
export interface ServiceOptions {
  databaseUrl: string;
  baseUrl: string;
  render?: RenderPoolOptions;
  now?: () => Date;
}

export async function openServices(options: ServiceOptions): Promise<Services & { close(): Promise<void> }> {
  const storage = await openStorage(options.databaseUrl);
  const pool = new RenderPool(options.render);
  return {
    storage,
    renderer: pool,
    now: options.now ?? (() => new Date()),
    baseUrl: options.baseUrl,
    async close() {
      await pool.close();
      await storage.close();
    },
  };
}

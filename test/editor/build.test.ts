import { describe, expect, it } from 'vitest';
import type { UserConfig } from 'vite';
import app from '../../editor/vite.config';
import withTestPages from '../../editor/vite.test.config';

const inputs = (config: UserConfig) => Object.keys((config.build?.rolldownOptions?.input ?? {}) as Record<string, string>).sort();

describe('the editor build', () => {
  it('ships the app only: the demo and test pages are built for the browser tests alone', () => {
    expect(inputs(app)).toEqual(['main']);
    expect(inputs(withTestPages)).toEqual(['components', 'main', 'monaco']);
    // Everything else is the production build's.
    const rest = (config: UserConfig) => ({ ...config, build: { ...config.build, rolldownOptions: undefined, rollupOptions: undefined } });
    expect(rest(withTestPages)).toEqual(rest(app));
  });
});

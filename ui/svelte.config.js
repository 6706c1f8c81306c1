import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

export default {
  preprocess: vitePreprocess(),
  compilerOptions: {
    // Styles go to emitted .css files, never injected inline (strict CSP).
    css: 'external',
  },
};

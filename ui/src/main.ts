import { mount } from 'svelte';
import './lib/theme/theme.css';
import './app.css';
import App from './App.svelte';
import { i18n } from './lib/i18n/i18n.svelte';
import { theme } from './lib/theme/theme.svelte';

i18n.applyLang();
theme.apply();

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from index.html');

export default mount(App, { target });

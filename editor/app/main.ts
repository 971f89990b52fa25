/// <reference types="vite/client" />
import './app.css';
import { getLocale } from '../i18n';
import './app-root';

/** The editor app: one `<attest-app>` in index.html; the locale from the browser or the last choice. */
document.documentElement.lang = getLocale();

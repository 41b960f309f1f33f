import { html } from './html.js';

const PAGES = {
  vulnerabilities: ['Vulnerabilities', 'Not configured: no vulnerability detector feeds this indexer.'],
  inventory: ['Inventory', 'Not configured: no package inventory feeds this indexer.'],
  response: ['Active response', 'Not configured: active response is not set up on this indexer.'],
};
export const NOT_YET_PAGES = Object.keys(PAGES);

export const NotYetPage = ({ page }) => html`<section class="not-yet"><h2>${PAGES[page][0]}</h2><p>${PAGES[page][1]}</p></section>`;

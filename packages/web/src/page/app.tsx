import type { PageBoot } from '../page-boot.js';
import { ListView } from './list-view.js';
import { RunPage } from './run-page.js';

/** The page: the list of runs, or the view of one run. */
export function App({ boot }: { boot: PageBoot }) {
  return boot.view === 'list' ? <ListView boot={boot} /> : <RunPage boot={boot} />;
}

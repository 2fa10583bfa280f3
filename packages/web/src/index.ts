// @multi-context/web: the view of a run (a pure fold of its events), the page that shows it,
// and the HTML shell that serves or reports it.
export {};

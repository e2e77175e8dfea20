/** The app shell: navigation and the page the location hash names. */
export function App() {
  return <main><h1>llmtrace</h1></main>;
}

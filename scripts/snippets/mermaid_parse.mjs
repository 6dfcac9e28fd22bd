// Parse mermaid diagrams with the exact mermaid version the site ships (node_modules).
// Input on stdin: JSON [{"id": "...", "text": "..."}]; output on stdout: JSON
// [{"id": "...", "ok": true} | {"id": "...", "ok": false, "message": "..."}].
// One Node process for every diagram of a build: mermaid takes ~1 s to load.
//
// mermaid.parse() needs no layout, but mermaid calls DOMPurify.addHook/sanitize, which
// only exist with a DOM. Parsing never renders, so a pass-through DOMPurify is enough:
// it is patched on the same module instance mermaid imports (the ESM build).
const purify = (await import(import.meta.resolve('dompurify'))).default;
purify.addHook = () => {};
purify.removeHook = () => {};
purify.removeHooks = () => {};
purify.removeAllHooks = () => {};
purify.setConfig = () => {};
purify.clearConfig = () => {};
purify.sanitize = (text) => String(text);
purify.isValidAttribute = () => true;
const mermaid = (await import(import.meta.resolve('mermaid'))).default;
mermaid.initialize({ startOnLoad: false });

let input = '';
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const { id, text } of JSON.parse(input)) {
  try {
    await mermaid.parse(text);
    results.push({ id, ok: true });
  } catch (error) {
    results.push({ id, ok: false, message: String(error && error.message ? error.message : error) });
  }
}
process.stdout.write(JSON.stringify(results));

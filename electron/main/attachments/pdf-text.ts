/**
 * A PDF's text, extracted with unpdf (a pure-JS build of Mozilla's pdf.js for servers: no native module, no
 * worker thread, well kept). Throws for a file pdf.js cannot open; answers '' for a PDF without a text layer.
 */
export async function pdfText(bytes: Uint8Array): Promise<string> {
  const { extractText, getDocumentProxy } = await import('unpdf');
  // pdf.js takes ownership of (detaches) the buffer it is given: hand it a copy.
  const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
  try {
    const { text } = await extractText(pdf, { mergePages: false });
    return text.map((page) => page.trim()).filter(Boolean).join('\n\n');
  } finally {
    await pdf.destroy().catch(() => undefined);
  }
}

import { Zip, ZipDeflate } from 'fflate';

const CONTENT_TYPES = '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
const RELS = '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>';

/**
 * A DOCX whose document.xml inflates to `megabytes` of paragraphs from a file of a few hundred
 * kilobytes: a decompression bomb. It is deflated a megabyte at a time, so the test never holds it whole.
 */
export function buildDocxBomb(megabytes: number): Uint8Array {
  const parts: Uint8Array[] = [];
  const zip = new Zip((error, chunk) => {
    if (error) throw error;
    parts.push(chunk);
  });
  addFile(zip, '[Content_Types].xml', CONTENT_TYPES);
  addFile(zip, '_rels/.rels', RELS);
  const document = new ZipDeflate('word/document.xml', { level: 1 });
  zip.add(document);
  const encoder = new TextEncoder();
  document.push(encoder.encode('<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'));
  const paragraph = '<w:p><w:r><w:t>Bomb text paragraph.</w:t></w:r></w:p>';
  const megabyte = encoder.encode(paragraph.repeat(Math.floor((1024 * 1024) / paragraph.length)));
  for (let i = 0; i < megabytes; i++) document.push(megabyte);
  document.push(encoder.encode('</w:body></w:document>'), true);
  zip.end();
  return Buffer.concat(parts);
}

function addFile(zip: Zip, name: string, text: string): void {
  const file = new ZipDeflate(name);
  zip.add(file);
  file.push(new TextEncoder().encode(text), true);
}

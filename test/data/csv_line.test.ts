// parseCsvLine scans with indexOf and slices (it added one character at a time, seconds on a
// line of megabytes): the same fields as the character-by-character reader, whatever the line.
import { parseCsvLine } from '../../src/data/csv';

// The former reader, one character at a time: the reference.
function byCharacter(line: string, delimiter = ','): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      out.push(field);
      field = '';
    } else field += c;
  }
  if (quoted) throw new Error('parseCsvLine: a quoted field is not closed by the end of the line (quoted fields cannot span lines)');
  out.push(field);
  return out;
}

test('quoted fields, "" for a quote, empty fields, a CR left by a CRLF file, other delimiters', () => {
  expect(parseCsvLine('a,"b, c","d ""e"""')).toEqual(['a', 'b, c', 'd "e"']);
  expect(parseCsvLine('')).toEqual(['']);
  expect(parseCsvLine(',,')).toEqual(['', '', '']);
  expect(parseCsvLine('"",""""')).toEqual(['', '"']);
  expect(parseCsvLine('ab"c,d"e,f')).toEqual(['abc,de', 'f']);
  expect(parseCsvLine('1,2\r')).toEqual(['1', '2\r']);
  expect(parseCsvLine('"x\ty"\t2\t"3"', '\t')).toEqual(['x\ty', '2', '3']);
  expect(parseCsvLine('a;"b;c";d,e', ';')).toEqual(['a', 'b;c', 'd,e']);
  expect(() => parseCsvLine('1,"2""')).toThrow(/parseCsvLine: a quoted field is not closed by the end of the line/);
});

test('random lines of quotes, delimiters and text split as the character-by-character reader does', () => {
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const alphabet = ['a', 'b', ',', ';', '"', '"', '\r', ' '];
  for (let k = 0; k < 3000; k++) {
    const line = Array.from({ length: Math.floor(random() * 24) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    for (const delimiter of [',', ';', ' ']) {
      let expected: string[] | Error;
      try {
        expected = byCharacter(line, delimiter);
      } catch (e) {
        expected = e as Error;
      }
      if (expected instanceof Error) expect(() => parseCsvLine(line, delimiter)).toThrow(expected.message);
      else expect(parseCsvLine(line, delimiter)).toEqual(expected);
    }
  }
});

test("refuses delimiters that never split a line: '\"', a line break, none or several characters", () => {
  for (const delimiter of ['"', '\n', '\r']) {
    expect(() => parseCsvLine('a"b', delimiter)).toThrow(
      /^parseCsvLine: expected the delimiter to be one character other than '"' \(it quotes fields\) and a line break/,
    );
  }
  expect(() => parseCsvLine('a,b', '')).toThrow(/^parseCsvLine: expected the delimiter to be one character, got/);
  expect(() => parseCsvLine('a,,b', ',,')).toThrow(/^parseCsvLine: expected the delimiter to be one character, got/);
});

test('a line of megabytes: long fields, quoted and not', () => {
  const long = 'x'.repeat(1 << 20);
  expect(parseCsvLine(`${long},"${long},""${long}",${long}`)).toEqual([long, `${long},"${long}`, long]);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CODE_LIST_RELEASE,
  HUB_CODES,
  codeListNames,
  codeTitle,
  codes,
  isCode,
  isStandardCode,
  type CodeListName,
} from '../../../src/iec62325/codelists/index.js';

test('the table is ENTSO-E code list version 94', () => {
  assert.equal(CODE_LIST_RELEASE.version, '94');
  assert.equal(CODE_LIST_RELEASE.namespace, 'urn:entsoe.eu:wgedi:codelists');
  assert.ok(codeListNames().length >= 45);
});

for (const [list, tuple] of Object.entries(HUB_CODES) as [CodeListName, readonly string[]][]) {
  test(`every code the hub uses in ${list} is a standard code of that list`, () => {
    assert.equal(new Set(tuple).size, tuple.length, 'no duplicates');
    for (const code of tuple) {
      assert.ok(isStandardCode(list, code), `${code} is not a standard ${list} code`);
      assert.ok(codeTitle(list, code), `${code} has a title`);
    }
  });
}

test('titles come from the code list', () => {
  assert.equal(codeTitle('RoleTypeList', 'A50'), 'Distribution System Operator (DSO)');
  assert.equal(codeTitle('MessageTypeList', 'A95'), 'Configuration document');
  assert.equal(codeTitle('BusinessTypeList', 'A07'), 'Net Production / Consumption');
  assert.equal(codeTitle('RoleTypeList', 'ZZZ'), undefined);
});

test('isCode accepts standard and local-extension codes, like the XSD union', () => {
  assert.ok(isCode('ReasonCodeTypeList', 'A02'));
  assert.ok(isCode('ReasonCodeTypeList', '999'));
  assert.ok(!isCode('ReasonCodeTypeList', 'A00'));
  // LocalconnectionCategoryType ships with the placeholder E03, which is also a standard code.
  assert.ok(isCode('connectionCategoryTypeList', 'E03'));
});

test('UnitSymbol has MW but no kW (why Configuration 3:3 measurements are in MAW)', () => {
  assert.ok(isCode('UnitSymbol', 'MAW'));
  assert.ok(!isCode('UnitSymbol', 'KWT'));
  assert.ok(isCode('UnitOfMeasureTypeList', 'KWT'));
});

test('CodingSchemeType is the same list as CodingSchemeTypeList', () => {
  assert.deepEqual(codes('CodingSchemeType'), codes('CodingSchemeTypeList'));
  assert.ok(isStandardCode('CodingSchemeType', 'A10'));
});

test('every list has codes and each code is unique', () => {
  for (const name of codeListNames()) {
    const values = codes(name).map((c) => c.code);
    assert.ok(values.length > 0, `${name} has codes`);
    assert.equal(new Set(values).size, values.length, `${name} has no duplicate code`);
  }
});

// SARIF 2.1.0 for code-scanning uploads: the rule catalogue with help, results with locations and fixes.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import { RULE_CATALOGUE } from '../../rules/registry';
import { RULE_DOC_SECTIONS, type RuleMeta } from '../../rules/ruleTypes';
import type { LocatedFix, SourceSpan } from '../checkTypes';
import { TOOL_INFORMATION_URI } from '../toolInfo';
import { findingsOf, reportLevel, type CheckReport } from './checkReport';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
const SOURCE_ROOT = '%SRCROOT%';

function ruleHelp(rule: RuleMeta): Sarif.MultiformatMessageString {
  const sections = RULE_DOC_SECTIONS.filter(([key]) => rule.doc[key].trim() !== '');
  return {
    text: sections.map(([key, heading]) => `${heading}\n${rule.doc[key].trim()}`).join('\n\n'),
    markdown: sections.map(([key, heading]) => `## ${heading}\n\n${rule.doc[key].trim()}`).join('\n\n'),
  };
}

function reportingDescriptor(rule: RuleMeta): Sarif.ReportingDescriptor {
  return {
    id: rule.code,
    name: rule.name,
    shortDescription: { text: rule.summary },
    fullDescription: { text: rule.doc.whatItDoes.trim() || rule.summary },
    help: ruleHelp(rule),
    defaultConfiguration: { level: reportLevel(rule.defaultSeverity) },
    properties: { lifetime: rule.lifetime, fix: rule.fix, tags: ['memory', rule.lifetime] },
  };
}

/** Relative to %SRCROOT% (the working directory) when inside it, else an absolute file URI. */
function artifactLocation(absolutePath: string, cwd: string): Sarif.ArtifactLocation {
  const relative = path.relative(cwd, absolutePath);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return { uri: pathToFileURL(absolutePath).href };
  return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SOURCE_ROOT };
}

function region(span: SourceSpan): Sarif.Region {
  return { startLine: span.start.line, startColumn: span.start.column, endLine: span.end.line, endColumn: span.end.column };
}

function sarifFix(fix: LocatedFix, artifact: Sarif.ArtifactLocation): Sarif.Fix {
  return {
    description: { text: fix.title },
    artifactChanges: [{
      artifactLocation: artifact,
      replacements: fix.edits.map((edit) => ({ deletedRegion: region(edit.span), insertedContent: { text: edit.newText } })),
    }],
    properties: { applicability: fix.applicability },
  };
}

export function buildSarifLog(report: CheckReport): Sarif.Log {
  const rules = [...RULE_CATALOGUE].sort((a, b) => a.code.localeCompare(b.code));
  const ruleIndex = new Map(rules.map((rule, index) => [rule.code, index]));
  const results: Sarif.Result[] = findingsOf(report).map(({ absolutePath, finding }) => {
    const artifact = artifactLocation(absolutePath, report.cwd);
    const result: Sarif.Result = {
      ruleId: finding.code,
      level: reportLevel(finding.severity),
      message: { text: finding.message },
      locations: [{ physicalLocation: { artifactLocation: artifact, region: region(finding.span) } }],
      properties: { lifetime: finding.lifetime },
    };
    const index = ruleIndex.get(finding.code);
    if (index !== undefined) result.ruleIndex = index;
    if (finding.related.length > 0) {
      result.relatedLocations = finding.related.map((related, id) => ({
        id,
        message: { text: related.message },
        physicalLocation: { artifactLocation: artifact, region: region(related.span) },
      }));
    }
    if (finding.fixes.length > 0) result.fixes = finding.fixes.map((fix) => sarifFix(fix, artifact));
    return result;
  });
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'GC Lens',
          fullName: 'GC Lens: reference cycles and memory leaks in Python',
          version: report.toolVersion,
          semanticVersion: report.toolVersion,
          informationUri: TOOL_INFORMATION_URI,
          rules: rules.map(reportingDescriptor),
        },
      },
      originalUriBaseIds: { [SOURCE_ROOT]: { uri: pathToFileURL(report.cwd + path.sep).href } },
      columnKind: 'utf16CodeUnits',
      results,
    }],
  };
}

export function renderSarif(report: CheckReport): string {
  return `${JSON.stringify(buildSarifLog(report), null, 2)}\n`;
}

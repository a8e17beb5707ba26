-- Knowledge-base articles linked from a fault report (issue 5: "linked from reports"): an
-- administrator points the reporter to the instructions that fit (R.47–R.51). One row per
-- report and article.
CREATE TABLE fault_report_kb_links (
    report_id BIGINT NOT NULL REFERENCES fault_reports(id),
    article_id BIGINT NOT NULL REFERENCES kb_articles(id),
    office_id BIGINT NOT NULL REFERENCES offices(id),
    linked_by_name TEXT NOT NULL,
    linked_at BIGINT NOT NULL,
    PRIMARY KEY (report_id, article_id)
);
CREATE INDEX fault_report_kb_links_article ON fault_report_kb_links(article_id);

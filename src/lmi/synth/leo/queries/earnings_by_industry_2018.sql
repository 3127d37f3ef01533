-- Earnings by employer industry, tax year 2018-19 (SYNTHETIC-data example query).
-- The main enterprise's IDBR record: tax years from 2017-18 use the SourceYear 2020 snapshot.
SELECT i.SECTIONNAME,
       COUNT(*) AS person_years,
       AVG(CAST(e.Earnings AS float)) AS mean_earnings
FROM leo_earnings e
JOIN idbr_lookup i ON i.ENTKEY = e.main_enterprise AND i.SourceYear = 2020
WHERE e.TaxYear = 201819
GROUP BY i.SECTIONNAME
ORDER BY i.SECTIONNAME;

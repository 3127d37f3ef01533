-- Free school meals by National Curriculum year, spring census 2014/15 (SYNTHETIC-data
-- example query). Census views carry the term and year in every column name (_spr15); keep
-- unique PMRs (RecordStatus NULL) and the main record of duplicated ones (below 100).
SELECT NCyearActual_spr15 AS nc_year,
       COUNT(*) AS pupils,
       AVG(CAST(FSMeligible_spr15 AS float)) AS fsm_share
FROM spring_census_2015
WHERE RecordStatus_spr15 IS NULL OR RecordStatus_spr15 < 100
GROUP BY NCyearActual_spr15
ORDER BY NCyearActual_spr15;

/**
 * What each placeholder of Moodle's mod_pdcertificate becomes in Attest: the variable that holds the value
 * and the Liquid that prints it as mod_pdcertificate did. The docs print this table, and a migration from
 * Moodle can use it to rewrite old templates. `ID` and `FIELD` stand for an activity id and a field shortname.
 */
export interface PlaceholderMapping {
  placeholder: string;
  /** A catalogue path; `*` where the placeholder carries an id or a field name. */
  variable: string;
  liquid: string;
}

const row = (placeholder: string, variable: string, liquid: string): PlaceholderMapping => ({
  placeholder: `{{info:${placeholder}}}`,
  variable,
  liquid,
});

export const pdcertificatePlaceholders: readonly PlaceholderMapping[] = [
  row('user_fullname', 'learner.fullname', '{{ learner.fullname }}'),
  row('user_firstname', 'learner.firstname', '{{ learner.firstname }}'),
  row('user_lastname', 'learner.lastname', '{{ learner.lastname }}'),
  row('user_idnumber', 'learner.idnumber', '{{ learner.idnumber | default: "" }}'),
  row('user_email', 'learner.email', '{{ learner.email }}'),
  row('user_institution', 'learner.institution', '{{ learner.institution | default: "" }}'),
  row('user_department', 'learner.department', '{{ learner.department | default: "" }}'),
  row('user_city', 'learner.city', '{{ learner.city | default: "" }}'),
  row('user_country', 'learner.country_name', '{{ learner.country_name }} (or {{ learner.country | country_name }})'),
  row('user_enrol_start', 'learner.enrolment_start', '{{ learner.enrolment_start | date: "long" }}'),
  row('user_enrol_end', 'learner.enrolment_end', '{{ learner.enrolment_end | date: "long" }}'),
  row('site_fullname', 'site.fullname', '{{ site.fullname }}'),
  row('site_shortname', 'site.shortname', '{{ site.shortname }}'),
  row('site_city', 'site.city', '{{ site.city }}'),
  row('site_country', 'site.country', '{{ site.country | country_name }}'),
  row('course_fullname', 'course.fullname', '{{ course.fullname }}'),
  row('course_shortname', 'course.shortname', '{{ course.shortname }}'),
  row('course_idnumber', 'course.idnumber', '{{ course.idnumber }}'),
  row('course_summary', 'course.summary', '{{ course.summary }}'),
  row('course_category', 'course.category', '{{ course.category }}'),
  row('course_startdate', 'course.startdate', '{{ course.startdate | date: "long" }}'),
  row('course_enddate', 'course.enddate', '{{ course.enddate | date: "long" }}'),
  row('course_grade', 'grade.value', '{{ grade.value | grade: grade.max }} (or {{ grade.letter }}, {{ grade.percent | percent }})'),
  row('course_completion_date', 'completion.date', '{{ completion.date | date: "long" }}'),
  row('course_totaltime', 'course.timespent', '{{ course.timespent | duration }}'),
  row('certificate_code', 'certificate.code', '{{ certificate.code }}'),
  row('certificate_date', 'certificate.issued', '{{ certificate.issued | date: "long" }}'),
  row('certificate_credit_hours', 'credit_hours', '{{ credit_hours | number }}'),
  row('certificate_outcome', 'outcomes', '{% for o in outcomes %}{{ o.name }}: {{ o.grade }}{% endfor %}'),
  row('certificate_caption', 'certificate.caption', '{{ certificate.caption }}'),
  row('teachers', 'teachers', '{{ teachers | map: "name" | join_list }}'),
  row('certifier_name', 'certifier.name', '{{ certifier.name }}'),
  row('certifier_title', 'certifier.title', '{{ certifier.title }}'),
  row('activity_grade:ID', 'grade.activities.*.value', '{{ grade.activities["ID"].value | grade: grade.activities["ID"].max }}'),
  row('activity_completion_date:ID', 'activities.*', '{{ activities["ID"] | date: "long" }}'),
  row('profile_FIELD', 'learner.profile.*', '{{ learner.profile.FIELD }}'),
  row('custom_FIELD', 'course.custom.*', '{{ course.custom.FIELD }}'),
];

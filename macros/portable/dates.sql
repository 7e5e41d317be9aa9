{#- Dates to and from text, in one strftime-style format that each engine's implementation
    understands: DuckDB uses it as is; Spark gets the same pattern in its own letters (only
    %Y, %y, %m, %d and %b, the ones the raw files and marts use). Spark's to_date returns null
    where DuckDB's strptime stops with an error; staging's not-null tests catch that. -#}
{% macro spark_datetime_pattern(format) -%}
    {%- set letters = {'%Y': 'yyyy', '%y': 'yy', '%m': 'MM', '%d': 'dd', '%b': 'MMM'} -%}
    {%- set pattern = namespace(text=format) -%}
    {%- for strftime_code, spark_letters in letters.items() -%}
        {%- set pattern.text = pattern.text | replace(strftime_code, spark_letters) -%}
    {%- endfor -%}
    {{ return(pattern.text) }}
{%- endmacro %}

{% macro parse_date(text_expression, format) -%}
    {{ return(adapter.dispatch('parse_date')(text_expression, format)) }}
{%- endmacro %}

{% macro duckdb__parse_date(text_expression, format) -%}
    cast(strptime({{ text_expression }}, '{{ format }}') as date)
{%- endmacro %}

{% macro spark__parse_date(text_expression, format) -%}
    to_date({{ text_expression }}, '{{ spark_datetime_pattern(format) }}')
{%- endmacro %}

{% macro format_date(date_expression, format) -%}
    {{ return(adapter.dispatch('format_date')(date_expression, format)) }}
{%- endmacro %}

{% macro duckdb__format_date(date_expression, format) -%}
    strftime({{ date_expression }}, '{{ format }}')
{%- endmacro %}

{% macro spark__format_date(date_expression, format) -%}
    date_format({{ date_expression }}, '{{ spark_datetime_pattern(format) }}')
{%- endmacro %}

{#- English month and weekday names in full ("January", "Monday"). Spark 4's monthname and
    dayname return three letters, so Spark spells the pattern out. -#}
{% macro month_name(date_expression) -%}
    {{ return(adapter.dispatch('month_name')(date_expression)) }}
{%- endmacro %}

{% macro duckdb__month_name(date_expression) -%}
    monthname({{ date_expression }})
{%- endmacro %}

{% macro spark__month_name(date_expression) -%}
    date_format({{ date_expression }}, 'MMMM')
{%- endmacro %}

{% macro weekday_name(date_expression) -%}
    {{ return(adapter.dispatch('weekday_name')(date_expression)) }}
{%- endmacro %}

{% macro duckdb__weekday_name(date_expression) -%}
    dayname({{ date_expression }})
{%- endmacro %}

{% macro spark__weekday_name(date_expression) -%}
    date_format({{ date_expression }}, 'EEEE')
{%- endmacro %}

{#- ISO day of the week as an integer, 1 = Monday ... 7 = Sunday (Spark's weekday counts from
    0 = Monday). -#}
{% macro iso_day_of_week(date_expression) -%}
    {{ return(adapter.dispatch('iso_day_of_week')(date_expression)) }}
{%- endmacro %}

{% macro duckdb__iso_day_of_week(date_expression) -%}
    cast(isodow({{ date_expression }}) as integer)
{%- endmacro %}

{% macro spark__iso_day_of_week(date_expression) -%}
    cast(weekday({{ date_expression }}) + 1 as integer)
{%- endmacro %}

{#- A query with one row per day from start_date to end_date inclusive, in one date column
    named column_name: DuckDB's range() table function, Spark's exploded sequence(). -#}
{% macro days_between(start_date, end_date, column_name='date_day') -%}
    {{ return(adapter.dispatch('days_between')(start_date, end_date, column_name)) }}
{%- endmacro %}

{% macro duckdb__days_between(start_date, end_date, column_name) -%}
    select cast(calendar.day_timestamp as date) as {{ column_name }}
    from
        range(
            date '{{ start_date }}',
            date '{{ end_date }}' + interval 1 day,
            interval 1 day
        ) as calendar (day_timestamp)
{%- endmacro %}

{% macro spark__days_between(start_date, end_date, column_name) -%}
    select explode(
        sequence(date '{{ start_date }}', date '{{ end_date }}', interval 1 day)
    ) as {{ column_name }}
{%- endmacro %}

"""`{% load row_urls %}`: the template side of hlt.row_urls (one reverse per list, not per
row):

    {% url_pattern "teams:team_detail" as team_url %}
    {% for team in teams %}<a href="{{ team_url|with_id:team.pk }}">…{% endfor %}
"""

from django import template

from hlt import row_urls

register = template.Library()
register.simple_tag(row_urls.url_pattern, name="url_pattern")
register.filter("with_id", row_urls.with_id)
